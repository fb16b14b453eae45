import {createRequire} from 'node:module';

// Read at run time so the version has one source: package.json (dist/src/ -> ../../).
const {version: packageVersion} = createRequire(import.meta.url)('../../package.json') as {version: string};

export const version = packageVersion;
export const userAgent = `imgscrape/${version} (+https://www.npmjs.com/package/imgscrape)`;
