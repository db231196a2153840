// The fin stand-in as OpenFin gives it to a window: on window.fin, before the
// app's modules run. ?runtime=29 makes it an OpenFin runtime before 30.
import { finStandIn } from './finstandin.js';

Object.assign(window, { fin: finStandIn({ runtime: new URLSearchParams(location.search).get('runtime') ?? undefined }) });
