// WADO-RS with dicomweb-client, the library OHIF uses, run under Node (xhr2 stands in for the
// browser's XMLHttpRequest). Writes what it retrieves into <out dir> for the Java test to judge.
// Usage: node wado.js <dicomweb base url> <out dir> <ct study> <ct series> <ct sop>
//                     <rle study> <rle series> <rle sop>
global.XMLHttpRequest = require('xhr2');
const fs = require('fs');
const path = require('path');
const { api } = require('dicomweb-client');

const [url, out, ctStudy, ctSeries, ctSop, rleStudy, rleSeries, rleSop] = process.argv.slice(2);
const client = new api.DICOMwebClient({ url });
const ct = { studyInstanceUID: ctStudy, seriesInstanceUID: ctSeries, sopInstanceUID: ctSop };
const rle = { studyInstanceUID: rleStudy, seriesInstanceUID: rleSeries, sopInstanceUID: rleSop };
const LE = '1.2.840.10008.1.2.1';
const write = (name, buffer) => fs.writeFileSync(path.join(out, name), Buffer.from(buffer));

(async () => {
  write('ct.dcm', await client.retrieveInstance(ct));
  // (dicomweb-client 0.11.3 cannot name a transfer syntax for whole instances: its media type
  // check reduces 'application/dicom' to 'application/' and refuses it. Frames work.)
  const frames = await client.retrieveInstanceFrames({
    ...rle,
    frameNumbers: [2],
    mediaTypes: [{ mediaType: 'application/octet-stream', transferSyntaxUID: LE }],
  });
  write('rle-frame2.raw', frames[0]);
  const metadata = await client.retrieveInstanceMetadata(ct);
  const bulk = await client.retrieveBulkData({ BulkDataURI: metadata[0]['7FE00010'].BulkDataURI });
  write('ct-pixels.raw', bulk[0]);
  // A single-part answer comes back as a one-element array of ArrayBuffers.
  const rendered = await client.retrieveInstanceRendered({
    ...ct,
    mediaTypes: [{ mediaType: 'image/png' }],
    queryParams: { viewport: '64,64' },
  });
  write('ct.png', Array.isArray(rendered) ? rendered[0] : rendered);
})().catch((error) => {
  process.stderr.write(`WADO failed: ${error && (error.status || error.message || error)}\n`);
  process.exit(1);
});
