import { CUT_MARKER, displayValue } from '../../../shared/core/mail/displayValue';

describe('displayValue over hostile values', () => {
  it('shows a value nested 5,000 deep as cut JSON instead of failing the e-mail', () => {
    // Arrange
    let value: unknown = 'leaf';
    for (let i = 0; i < 5_000; i++) value = { inner: [value] };

    // Act
    const text = displayValue(value);

    // Assert
    expect(text.startsWith('{"inner":[{"inner":[')).toBe(true);
    expect(text.endsWith(CUT_MARKER)).toBe(true);
  });

  it('shows a cycle with a marker where it recurs', () => {
    const node: Record<string, unknown> = { a: 1 };
    node['self'] = node;
    expect(displayValue(node)).toBe('{"a":1,"self":"[cycle]"}');
  });

  it('shows an ordinary object as its JSON, as before', () => {
    expect(displayValue({ tenant: 'x', n: 2 })).toBe('{"tenant":"x","n":2}');
  });
});
