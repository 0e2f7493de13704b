// KaTeX at build time, in one Node.js process for the whole build (katex.Typesetter runs it with
// `node -e`; never shipped to the site). Its argument is KaTeX's script; each line in is one
// formula as JSON {tex, display}, each line out its HTML as a JSON string.
const katex = require(process.argv[1]);
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  process.stdout.write(JSON.stringify(katex.renderToString(tex,
    { displayMode: display, throwOnError: false })) + "\n");
});
