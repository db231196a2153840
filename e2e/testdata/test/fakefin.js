// A stand-in for OpenFin's fin object: fin.Window.create opens a real popup
// and reports its URL, as OpenFin's 'url-changed' event and getInfo() do,
// whenever the page can read it (same origin).

export function fakeFin(record) {
  record.fin = { creates: [], urls: [] };
  return {
    Window: {
      async create(options) {
        record.fin.creates.push({ name: options.name, defaultWidth: options.defaultWidth, defaultHeight: options.defaultHeight });
        const w = window.open(options.url, options.name, `width=${options.defaultWidth},height=${options.defaultHeight}`);
        if (!w) throw new Error('fake fin: window.open returned null');
        const handlers = {};
        const emit = (type, data) => (handlers[type] ?? []).forEach((fn) => fn({ type, ...data }));
        let url = '';
        const poll = setInterval(() => {
          if (w.closed) {
            clearInterval(poll);
            emit('closed', {});
            return;
          }
          let href;
          try {
            href = w.location.href;
          } catch {
            return; // cross-origin: OpenFin could read it, a page cannot
          }
          if (href !== url && href !== 'about:blank') {
            url = href;
            record.fin.urls.push(new URL(href).pathname);
            emit('url-changed', { url: href });
          }
        }, 50);
        return {
          on(type, fn) {
            (handlers[type] ??= []).push(fn);
            return Promise.resolve();
          },
          async getInfo() {
            if (w.closed) throw new Error('fake fin: the window is closed');
            return { url };
          },
          async navigate(next) {
            w.location.href = next;
          },
          async close() {
            clearInterval(poll);
            w.close();
          },
        };
      },
    },
  };
}
