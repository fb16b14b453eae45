import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {createNameAllocator} from '../src/download/names.js';
import {checkNameTemplate, fileNameFor, usesField, withRealExtension} from '../src/download/template.js';
import {UsageError} from '../src/errors.js';

test('a file gets the extension of its real type: kept, replaced or appended', () => {
	const rows: Array<[string, string, string]> = [
		['photo.jpg', 'jpg', 'photo.jpg'],
		['photo.JPEG', 'jpg', 'photo.JPEG'],
		['photo.png', 'jpg', 'photo.jpg'],
		['photo', 'webp', 'photo.webp'],
		['show.php', 'gif', 'show.php.gif'],
		['image', 'svg', 'image.svg'],
	];
	for (const [name, ext, expected] of rows) {
		assert.equal(withRealExtension(name, ext), expected, `${name} as ${ext}`);
	}
});

test('templates fill every field and make folders only where the template has a slash', () => {
	const url = 'https://pic.example:8080/uploads/2024/%E5%A3%81%E7%BA%B8/photo.png?x=1';
	const context = {page: 3, index: 7};
	assert.equal(fileNameFor(url, 'jpg', '{host}/{path}/{page}-{index}-{name}.{ext}', context), 'pic.example_8080/uploads/2024/壁纸/3-7-photo.jpg');
	assert.equal(fileNameFor('https://pic.example/a.png', 'png', '{host}/{name}.{ext}', context), 'pic.example/a.png', 'a default port is no part of {host}');
	assert.match(fileNameFor(url, 'png', '{name}-{hash}.{ext}', context), /^photo-[\da-f]{8}\.png$/);
	assert.equal(fileNameFor('https://h/photo.jpg', 'jpg', '{path}/{name}.{ext}', context), 'photo.jpg', 'an empty {path} adds no folder');
	assert.equal(fileNameFor(url, 'jpg', undefined, context), 'photo.jpg');
});

test('no URL or template can climb out of the output folder', () => {
	const out = path.resolve('/srv/out');
	const urls = [
		'http://h/..%2F..%2Fetc%2Fpasswd.jpg',
		'http://h/%2e%2e/%2e%2e/x.jpg',
		'http://h/a%5C..%5C..%5Cb.jpg',
		'http://h/%2e%2e%2f%2e%2e%2f/..%2f/evil.jpg',
		'http://../../x.jpg',
		'http://h/con/aux/nul.jpg',
	];
	const templates = [
		undefined,
		'{path}/{name}.{ext}',
		'../{host}/{name}.{ext}',
		'{host}/../../{name}.{ext}',
		'/abs/{name}.{ext}',
		'..\\..\\{name}.{ext}',
		'{path}/./../{name}',
	];
	for (const url of urls) {
		for (const template of templates) {
			const name = fileNameFor(url, 'jpg', template, {page: 1, index: 1});
			const file = path.resolve(out, name);
			assert.ok(file.startsWith(out + path.sep), `${url} with ${template} gave ${name}`);
			for (const segment of name.split('/')) {
				assert.ok(segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\'), `${url} with ${template} gave ${name}`);
			}
		}
	}
});

test('an unknown template field is a usage error that names it', () => {
	assert.throws(
		() => checkNameTemplate('{name}.{extension}'),
		(error: unknown) => error instanceof UsageError && /\{extension\}/.test(error.message),
	);
	assert.equal(checkNameTemplate('{host}/{name}.{ext}'), '{host}/{name}.{ext}');
});

test('the allocator hashes the last segment of a name with folders, and reassigns when the type changes the name', () => {
	const names = createNameAllocator();
	assert.equal(names.allocate('http://h/1/a.jpg', 'x.y/a.jpg'), 'x.y/a.jpg');
	assert.match(names.allocate('http://h/2/a.jpg', 'x.y/a.jpg'), /^x\.y\/a-[\da-f]{8}\.jpg$/);
	assert.equal(names.allocate('http://h/3/b.jpg'), 'b.jpg');
	assert.equal(names.reassign('http://h/3/b.jpg', 'b.jpg'), 'b.jpg', 'same preference, same name');
	assert.equal(names.reassign('http://h/3/b.jpg', 'b.png'), 'b.png');
	assert.equal(names.allocate('http://h/4/b.jpg'), 'b.jpg', 'the old name was released');
});

test('{alt}, {title}, {pageTitle} and {date} come from the page and the body, made safe like every field', () => {
	const context = {page: 1, index: 2, alt: 'Snow / on pines', title: 'First: snow', pageTitle: 'Winter gallery', date: '2022-11-15'};
	assert.equal(
		fileNameFor('http://h/a.jpg', 'jpg', '{pageTitle}/{date}-{alt} ({title}).{ext}', context),
		'Winter gallery/2022-11-15-Snow _ on pines (First_ snow).jpg',
	);
	assert.equal(fileNameFor('http://h/a.jpg', 'jpg', '{alt}{title}/{name}.{ext}', {page: 1, index: 1}), 'a.jpg', 'an empty field adds no folder');
	checkNameTemplate('{alt}-{title}-{pageTitle}-{date}.{ext}');
});

test("a template without {ext} gets the real type's extension, replacing one it wrote for another type", () => {
	const context = {page: 2, index: 5};
	assert.equal(fileNameFor('http://h/a.png', 'png', '{page}-{index}', context), '2-5.png');
	assert.equal(fileNameFor('http://h/a.png', 'webp', 'x/{name}.jpg', context), 'x/a.webp');
	assert.equal(fileNameFor('http://h/a.png', 'png', '{name}.png', context), 'a.png');
	assert.ok(usesField('{name}.{ext}', 'ext') && !usesField('{name}.jpg', 'ext') && !usesField(undefined, 'ext'));
});
