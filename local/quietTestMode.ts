// NOTE: outside the Functions host, @azure/functions switches to test mode, registers nothing and warns
// about it once per function. The local host calls the handlers itself, so those warnings only
// confuse; import this module before any function module.
const TEST_MODE_WARNINGS = ['Skipping call to register function', 'Failed to detect the Azure Functions runtime'];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && TEST_MODE_WARNINGS.some((w) => (args[0] as string).includes(w))) return;
  warn(...args);
};

export {};
