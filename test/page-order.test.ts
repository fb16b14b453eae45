import assert from 'node:assert/strict';
import {test} from 'node:test';
import {PageOrder} from '../src/scraper/page-order.js';

test('start pages are released in their order, whatever order they finish in', () => {
	const released: string[] = [];
	const order = new PageOrder<string>(item => released.push(item));
	const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => order.add());
	order.done(c!, 'c');
	order.done(b!, 'b');
	assert.deepEqual(released, []);
	order.done(a!, 'a');
	assert.deepEqual(released, ['a', 'b', 'c']);
	order.done(e!, 'e');
	order.skip(d!);
	assert.deepEqual(released, ['a', 'b', 'c', 'e']);
});

test('found pages follow the page they were found on, depth first, before the next start page', () => {
	const released: string[] = [];
	const order = new PageOrder<string>(item => released.push(item));
	const listing1 = order.add();
	const listing2 = order.add();
	order.done(listing2, 'listing 2');
	const detail1 = order.add(listing1);
	const detail2 = order.add(listing1);
	const next = order.add(listing1);
	order.done(listing1, 'listing 1');
	assert.deepEqual(released, ['listing 1']);
	order.done(detail2, 'detail 1.2');
	order.done(next, 'listing 1 next');
	assert.deepEqual(released, ['listing 1']);
	order.done(detail1, 'detail 1.1');
	assert.deepEqual(released, ['listing 1', 'detail 1.1', 'detail 1.2', 'listing 1 next', 'listing 2']);
});

test('flush releases what settled after a gap that never will, in order', () => {
	const released: string[] = [];
	const order = new PageOrder<string>(item => released.push(item));
	const first = order.add();
	const second = order.add();
	const third = order.add();
	order.done(third, 'third');
	order.done(second, 'second');
	assert.ok(first);
	order.flush();
	assert.deepEqual(released, ['second', 'third']);
});

test('start pages cannot be added once results flow', () => {
	const order = new PageOrder<string>(() => {});
	order.done(order.add(), 'a');
	assert.throws(() => order.add(), /before the first result/);
});
