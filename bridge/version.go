package bridge

// Version is the release of the Go module and the npm package. The page's
// module and the worker must come from the same build: js/protocol.js and
// the package's package.json (`make package`) take it from here.
const Version = "0.1.0"
