// QIDO-RS with dicomweb-client, the library OHIF uses, run under Node (xhr2 stands in for the
// browser's XMLHttpRequest). Runs every search of <cases.json> with searchForStudies,
// searchForSeries or searchForInstances and writes, per case, the HTTP status, the Warning header
// and the answer into <results.json> for the Java test to judge.
// Usage: node qido.js <dicomweb base url> <cases.json> <results.json>
// A case: { "name": ..., "level": "studies" | "series" | "instances",
//           "study": UID (optional), "series": UID (optional), "params": { key: value, ... } }
const XHR = require('xhr2');
const fs = require('fs');
const { api } = require('dicomweb-client');

// The client resolves with the parsed JSON only: the status and the Warning header are recorded
// from the request as it completes (before the client's promise continues).
let last = { status: 0, warning: null };
class RecordingXHR extends XHR {
  open(...args) {
    this.addEventListener('readystatechange', () => {
      if (this.readyState === 4) {
        last = { status: this.status, warning: this.getResponseHeader('Warning') };
      }
    });
    return super.open(...args);
  }
}
global.XMLHttpRequest = RecordingXHR;

const [url, casesFile, resultsFile] = process.argv.slice(2);
const client = new api.DICOMwebClient({ url });
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));

(async () => {
  const results = {};
  for (const c of cases) {
    const options = { queryParams: c.params };
    if (c.study) options.studyInstanceUID = c.study;
    if (c.series) options.seriesInstanceUID = c.series;
    last = { status: 0, warning: null };
    let body = null;
    try {
      if (c.level === 'studies') body = await client.searchForStudies(options);
      else if (c.level === 'series') body = await client.searchForSeries(options);
      else body = await client.searchForInstances(options);
    } catch (error) {
      if (!error.status) throw error;
      body = error.response;
    }
    results[c.name] = { status: last.status, warning: last.warning, body };
  }
  fs.writeFileSync(resultsFile, JSON.stringify(results));
})().catch((error) => {
  process.stderr.write(`QIDO failed: ${error && (error.stack || error.message || error)}\n`);
  process.exit(1);
});
