// STOW-RS with dicomweb-client, the library OHIF uses, run under Node (xhr2 stands in for the
// browser's XMLHttpRequest). Usage: node stow.js <dicomweb base url> <file>...
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const { api } = require('dicomweb-client');

const [url, ...files] = process.argv.slice(2);
const datasets = files.map((f) => {
  const b = fs.readFileSync(f);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
});
const client = new api.DICOMwebClient({ url, verbose: false });
client
  .storeInstances({ datasets })
  .then((response) => {
    process.stdout.write(typeof response === 'string' ? response : JSON.stringify(response));
  })
  .catch((error) => {
    process.stderr.write(`STOW failed: ${error && (error.status || error.message || error)}\n`);
    process.exit(1);
  });
