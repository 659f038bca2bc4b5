// Lets a child process run the TypeScript sources directly (the shutdown test spawns main.api.ts):
// NodeNext-style `./x.js` imports resolve to `./x.ts`, compiled by @swc-node with decorator metadata.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (err) {
    if (request.endsWith('.js') && request.startsWith('.')) return resolve.call(this, request.slice(0, -3) + '.ts', parent, ...rest);
    throw err;
  }
};
require('@swc-node/register');
