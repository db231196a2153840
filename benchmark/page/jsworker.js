// A plain JS worker doing what the Go worker does for a request, with no Go:
// one fetch with the same options, the body read whole and transferred to
// the page. Its time against a direct fetch is what any worker design costs;
// executeApiRequest's time against it is what Go costs. (Unlike snworker it
// is handed the token: it is only a yardstick.)
'use strict';

self.onmessage = async (e) => {
  const { id, url, token } = e.data;
  try {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      credentials: 'omit',
      mode: 'cors',
      redirect: 'manual',
    });
    const body = await res.arrayBuffer();
    self.postMessage({ id, status: res.status, headers: [...res.headers], body }, [body]);
  } catch (err) {
    self.postMessage({ id, error: String(err) });
  }
};
