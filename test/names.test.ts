import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {createNameAllocator, fileNameFromUrl, sanitizeFileName} from '../src/download/names.js';

test('file names come from the last path segment, decoded', () => {
	const rows: Array<[string, string]> = [
		['http://h/uploads/allimg/a.jpg', 'a.jpg'],
		['http://h/uploads/allimg/a.jpg?x=1#y', 'a.jpg'],
		['http://h/%E5%A3%81%E7%BA%B8.png', '壁纸.png'],
		['http://h/a%2Fb.jpg', 'a_b.jpg'],
		['http://h/a%5Cb.jpg', 'a_b.jpg'],
		['http://h/%2e%2e', 'image'],
		['http://h/dir/', 'image'],
		['http://h/', 'image'],
		['http://h/con.jpg', '_con.jpg'],
		['http://h/bad%ZZname.jpg', 'bad%ZZname.jpg'],
	];
	for (const [url, name] of rows) {
		assert.equal(fileNameFromUrl(url), name, url);
	}
});

test('sanitized names are one safe segment on every platform', () => {
	const rows: Array<[string, string]> = [
		['../../etc/passwd', '_.._etc_passwd'],
		['..', 'image'],
		['.hidden.jpg', 'hidden.jpg'],
		['a:b*c?d"e<f>g|h.jpg', 'a_b_c_d_e_f_g_h.jpg'],
		['trailing. . ', 'trailing'],
		['tab\there.jpg', 'tab_here.jpg'],
		['NUL', '_NUL'],
		['com1.txt', '_com1.txt'],
		['  spaced.jpg  ', 'spaced.jpg'],
	];
	for (const [raw, name] of rows) {
		const safe = sanitizeFileName(raw);
		assert.equal(safe, name, raw);
		assert.equal(path.basename(safe), safe);
	}
});

test('long names are cut to 255 bytes of UTF-8, keeping the extension and whole characters', () => {
	const name = sanitizeFileName(`${'图'.repeat(200)}.jpeg`);
	assert.ok(Buffer.byteLength(name) <= 255, String(Buffer.byteLength(name)));
	assert.ok(name.endsWith('.jpeg'));
	assert.ok(!name.includes('\uFFFD'));
});

test('the allocator gives one name per URL and never the same name to two URLs', () => {
	const names = createNameAllocator();
	const a = names.allocate('http://h/a/photo.jpg');
	const b = names.allocate('http://h/b/photo.jpg');
	const c = names.allocate('http://h/c/PHOTO.JPG');
	assert.equal(a, 'photo.jpg');
	assert.match(b, /^photo-[\da-f]{8}\.jpg$/);
	assert.match(c, /^PHOTO-[\da-f]{8}\.JPG$/, 'case-insensitive file systems see photo.jpg and PHOTO.JPG as one file');
	assert.notEqual(b.toLowerCase(), c.toLowerCase());
	assert.equal(names.allocate('http://h/b/photo.jpg'), b);
	// The suffix depends on the URL alone, so it is the same in every run.
	assert.equal(createNameAllocator().allocate('http://h/b/photo.jpg'), 'photo.jpg');
	const again = createNameAllocator();
	again.allocate('http://h/a/photo.jpg');
	assert.equal(again.allocate('http://h/b/photo.jpg'), b);
});
