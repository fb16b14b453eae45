/** The titles of fixtures/gbk-site's twelve images, in listing order (four a page): the alt of each thumbnail and the file name of each original. */
export const gbkTitles = [
	'初音未来 星空',
	'原神 雷电将军',
	'夜晚 城市 少女',
	'海边 日落',
	'樱花 校园',
	'赛博朋克 街道',
	'雪山 狐狸',
	'星之卡比',
	'鬼灭之刃 炭治郎',
	'龙猫 雨天',
	'灌篮高手',
	'进击的巨人',
];
