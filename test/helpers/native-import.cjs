// Node's own import(), for run-cli-in-process.ts: a test's modules run inside vitest's module
// runner, whose import() would load a transformed copy of lshift's dist modules, not the instances
// @oclif/core (loaded by Node) imports the commands with. Required by Node, this file's import() is Node's.
module.exports = (url) => import(url);
