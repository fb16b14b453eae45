/**
The gallery's HTML, modelled on a real paginated wallpaper site: a `.slist`
grid of K linked thumbnails, then a `.page` pager with `rel="next"`. Listing
pages hold exactly K `<img>` elements and nothing else that points at an image,
so the selector `img` finds exactly the gallery.
*/

import {detailPath, type GalleryImage, type GalleryLayout, listingPath, pageImages} from './layout.js';

const siteName = 'imgscrape fixture gallery';

function imageTitle(image: GalleryImage): string {
	return `4K动漫壁纸 ${image.id}`;
}

/** The pager: first, last, and two pages either side of the current one, like the real site. */
function renderPager(page: number, pages: number): string {
	const parts: string[] = [];
	if (page > 1) {
		parts.push(`<a class="prev" href="${listingPath(page - 1)}">上一页</a>`);
	}
	let previous = 0;
	for (let number = 1; number <= pages; number++) {
		const shown = number === 1 || number === pages || Math.abs(number - page) <= 2;
		if (!shown) {
			continue;
		}
		if (number - previous > 1) {
			parts.push('<span class="slh">…</span>');
		}
		parts.push(number === page ? `<b>${number}</b>` : `<a href="${listingPath(number)}">${number}</a>`);
		previous = number;
	}
	if (page < pages) {
		parts.push(`<a class="next" rel="next" href="${listingPath(page + 1)}">下一页</a>`);
	}
	return `<div class="page">${parts.join('')}</div>`;
}

const categories = ['4kfengjing', '4kmeinv', '4kyouxi', '4kdongman', '4kyingshi', '4kmingxing', '4kqiche', '4kdongwu'];
const categoryNames = ['4K风景', '4K美女', '4K游戏', '4K动漫', '4K影视', '4K明星', '4K汽车', '4K动物'];

/** Site chrome that a real page carries around its grid; no images, no links to images. */
function renderNav(): string {
	const links = categories.map((slug, index) => `<a href="/${slug}/" title="${categoryNames[index] ?? slug}">${categoryNames[index] ?? slug}</a>`);
	return `<div class="head"><div class="logo"><a href="/">${siteName}</a></div><div class="nav"><a href="/index.html">首页</a>${links.join('')}</div><form class="search" action="/e/search/" method="post"><input type="text" name="keyboard" value=""><button type="submit">搜索</button></form></div>`;
}

function renderFooter(): string {
	return '<div class="footer"><p>本站所有壁纸均为合成测试数据，仅供抓取测试使用。</p><p><a href="/about.html">关于我们</a> | <a href="/sitemap.html">网站地图</a> | <a href="/contact.html">联系我们</a></p></div>';
}

/** One filler block: a tag cloud and a paragraph of text, different for every `seed`. */
function renderFiller(seed: number): string {
	const tags: string[] = [];
	for (let index = 0; index < 8; index++) {
		const tag = (seed * 8 + index) % 997;
		tags.push(`<li><a href="/tags/${tag}.html">标签 ${tag}</a></li>`);
	}
	return `<!-- block ${seed} --><div class="filler" id="f${seed}"><h3>热门推荐 ${seed}</h3><ul class="tags">${tags.join('')}</ul><p class="desc">高清壁纸合集第 ${seed} 组：风景、动漫与游戏主题，适合桌面与手机使用。Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p></div>\n`;
}

/**
Grows a page to about `targetBytes` with nav, filler blocks and footer, ending
on an HTML comment sized to hit the target exactly whenever there is room.
*/
function pad(head: string, body: string, tail: string, targetBytes: number): string {
	const nav = renderNav();
	const footer = renderFooter();
	const parts = [head, nav, body];
	let size = Buffer.byteLength(head + nav + body + footer + tail);
	for (let seed = 1; ; seed++) {
		const filler = renderFiller(seed);
		const fillerSize = Buffer.byteLength(filler);
		if (size + fillerSize > targetBytes) {
			break;
		}
		parts.push(filler);
		size += fillerSize;
	}
	const comment = '<!--  -->';
	const room = targetBytes - size - comment.length;
	if (room >= 0) {
		parts.push(`<!-- ${'.'.repeat(room)} -->`);
	}
	parts.push(footer, tail);
	return parts.join('');
}

/**
The listing page `page` (1-based, at most `layout.pages`).
@param pageBytes pad the page to about this many bytes; 0 renders it bare.
*/
export function renderListingPage(layout: GalleryLayout, page: number, pageBytes = 0): string {
	const title = `4K动漫壁纸_第${page}页 - ${siteName}`;
	const items = pageImages(layout, page).map(image => {
		const alt = imageTitle(image);
		return `<li><a href="${detailPath(image.id)}" target="_blank"><img src="${image.path}" alt="${alt}"><b>${alt}</b></a></li>`;
	});
	const head = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>`;
	const body = `<div class="slist"><ul class="clearfix">${items.join('')}</ul></div>${renderPager(page, layout.pages)}`;
	const tail = '</body></html>';
	return pageBytes > 0 ? pad(head, body, tail, pageBytes) : head + body + tail;
}

/** The detail page of one image: the full-size picture in `.photo-pic`, with neighbour links. */
export function renderDetailPage(layout: GalleryLayout, image: GalleryImage): string {
	const title = imageTitle(image);
	const last = layout.pages * layout.perPage;
	const previous = image.id > 1 ? `<a class="prev" href="${detailPath(image.id - 1)}">上一张</a>` : '';
	const next = image.id < last ? `<a class="next" href="${detailPath(image.id + 1)}">下一张</a>` : '';
	return `<!doctype html><html><head><meta charset="utf-8"><title>${title} - ${siteName}</title></head><body><div class="view"><h1>${title}</h1><div class="photo-pic"><a href="" id="img"><img src="${image.path}" data-pic="${image.path}" alt="${title}" title="${title}"></a></div><div class="photo-hd">${previous}${next}<a href="${listingPath(image.page)}">返回列表</a></div></div></body></html>`;
}

/** The small page sent with every 404. */
export function renderNotFound(): string {
	return '<!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>';
}
