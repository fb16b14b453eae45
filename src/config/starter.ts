/** What `imgscrape config --init` writes: a config file that loads as it is, its options explained in comments. */
export const starterConfig = `// imgscrape's config file: JSON with comments (and trailing commas).
// Read from --config FILE, else ./imgscrape.config.json, else ~/.config/imgscrape/config.json
// ($XDG_CONFIG_HOME/imgscrape/config.json); --no-config reads none.
//
// Keys are the options of scrape(), camelCase: --page-concurrency is "pageConcurrency".
// Lowest to highest: built-in defaults, "defaults", the site entry, the profile, the command line.
// A null puts an option back to its built-in default. \`imgscrape config URL\` shows what applies.
{
	// Options for every run.
	"defaults": {
		// "out": "~/Pictures/imgscrape",
		// "writeMetadata": true,
		"retries": 3,
	},

	// Per site, by the start page's host: "pic.example.com", "*.example.com" (example.com and
	// every name under it) or "127.0.0.1:8080". The closest match applies, and only that one.
	"sites": {
		"*.example.com": {
			"selector": ".gallery img",
			// "follow": "a.detail",
			// "cookies": "~/cookies/example.txt",
			"perHost": 4,
		},
	},

	// Named sets of options, applied over the rest with --profile NAME.
	"profiles": {
		"gentle": {"perHost": 1, "rate": 1, "retries": 5},
	},
}
`;
