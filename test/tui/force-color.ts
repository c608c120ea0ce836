// Imported first by UI tests: chalk reads this when Ink loads, so frames carry
// the colour codes the assertions look for (the test output is no TTY).
process.env.FORCE_COLOR = '1';
delete process.env.NO_COLOR;
