console.log('page says', 1);
document.getElementById('open').onclick = () => window.open('popup.html');
window.startWorker = () => new Worker('worker.js');
window.startShared = () => new SharedWorker('shared.js').port.start();
window.ready = true;
