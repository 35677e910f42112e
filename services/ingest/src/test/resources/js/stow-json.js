// STOW-RS of DICOM JSON metadata with one bulk data part, through dicomweb-client (OHIF's library)
// under Node (xhr2 stands in for the browser's XMLHttpRequest). dicomweb-client 0.11.3's
// storeInstances() only sends application/dicom parts, so the multipart/related body is built here
// and sent with the client's own HTTP layer (_httpPost: its headers, hooks and status handling).
// Usage: node stow-json.js <dicomweb base url> <metadata.json> <bulk media type> <location> <file>
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const { api } = require('dicomweb-client');

const [url, metadataFile, bulkType, location, bulkFile] = process.argv.slice(2);
const boundary = 'dwc-json-' + Date.now();
const enc = (s) => Buffer.from(s, 'latin1');
const body = Buffer.concat([
  enc(`--${boundary}\r\nContent-Type: application/dicom+json\r\n\r\n`),
  fs.readFileSync(metadataFile),
  enc(`\r\n--${boundary}\r\nContent-Type: ${bulkType}\r\nContent-Location: ${location}\r\n\r\n`),
  fs.readFileSync(bulkFile),
  enc(`\r\n--${boundary}--\r\n`),
]);
const client = new api.DICOMwebClient({ url, verbose: false });
const headers = {
  'Content-Type': `multipart/related; type="application/dicom+json"; boundary="${boundary}"`,
  Accept: 'application/dicom+json',
};
client
  ._httpPost(`${client.stowURL}/studies`, headers, body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength), {})
  .then((response) => {
    process.stdout.write(typeof response === 'string' ? response : JSON.stringify(response));
  })
  .catch((error) => {
    process.stderr.write(`STOW failed: ${error && (error.status || error.message || error)}\n`);
    process.exit(1);
  });
