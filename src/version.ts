import {packageManifest} from './package-root.js';

// Read at run time so the version has one source: package.json.
export const version = packageManifest.version;
export const userAgent = `imgscrape/${version} (+https://www.npmjs.com/package/imgscrape)`;
