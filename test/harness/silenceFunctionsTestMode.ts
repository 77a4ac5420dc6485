// NOTE: outside the Functions host, @azure/functions switches to test mode, registers nothing and
// warns about it once per function; those warnings say nothing about the test.
const TEST_MODE_WARNINGS = ['Skipping call to register function', 'Failed to detect the Azure Functions runtime'];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && TEST_MODE_WARNINGS.some((w) => (args[0] as string).includes(w))) return;
  warn(...args);
};
