// A stand-in for OpenFin's fin object, as far as @openfin/servicenow uses
// it for the sign-in window. Window.create opens a real popup. OpenFin reads
// any window's URL through its privileged API; here the test driver, which
// sees every target's URL, reports it through fin.__report(url).
const windows = [];

function standIn(options, w) {
  const handlers = {};
  const emit = (type, data) => (handlers[type] ?? []).forEach((fn) => fn({ type, ...data }));
  const win = { options, url: '', emit };
  const closedPoll = setInterval(() => {
    if (w.closed) {
      clearInterval(closedPoll);
      emit('closed', {});
    }
  }, 50);
  windows.push(win);
  return {
    identity: { name: options.name },
    on(type, fn) {
      (handlers[type] ??= []).push(fn);
      return Promise.resolve();
    },
    addListener(type, fn) {
      return this.on(type, fn);
    },
    async getInfo() {
      if (w.closed) throw new Error('fin stand-in: the window is closed');
      return { url: win.url };
    },
    async navigate(url) {
      w.location.href = url;
    },
    async close() {
      clearInterval(closedPoll);
      w.close();
    },
  };
}

window.fin = {
  me: { isOpenFin: true, entityType: 'window', identity: { uuid: 'app', name: 'main' } },
  Window: {
    async create(options) {
      const w = window.open(options.url, options.name, `popup,width=${options.defaultWidth ?? 600},height=${options.defaultHeight ?? 700}`);
      if (!w) throw new Error('fin stand-in: window.open returned null');
      return standIn(options, w);
    },
  },
  __report(url) {
    const win = windows.at(-1);
    if (win && url !== win.url) {
      win.url = url;
      win.emit('url-changed', { url });
    }
  },
  __created: () => windows.map((w) => ({ name: w.options.name, defaultWidth: w.options.defaultWidth, frame: w.options.frame })),
};
