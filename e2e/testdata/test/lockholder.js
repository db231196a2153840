// A shared worker of page script's own that holds a Web Lock, named by
// its first message, for as long as it lives.
onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => {
    navigator.locks.request(String(m.data), () => {
      port.postMessage('held');
      return new Promise(() => {});
    });
  };
};
