import fc from 'fast-check';

import { appendCuts, appendRanges } from '../../../cli/appendBlobUpload';
import { movePeriod } from '../../../cli/successorReplay';
import { parseSuccessorPath } from '../../../shared/core/export/successorPath';

describe('appendCuts', () => {
  it('cuts a file into the pieces asked for, at distinct offsets strictly inside it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.string(),
        (size, appends, seed) => {
          const cuts = appendCuts(size, appends, seed);
          expect(cuts).toHaveLength(Math.max(Math.min(appends, size), 1) - 1);
          expect([...cuts].sort((a, b) => a - b)).toEqual(cuts);
          expect(new Set(cuts).size).toBe(cuts.length);
          for (const cut of cuts) expect(cut > 0 && cut < size).toBe(true);
        },
      ),
    );
  });

  it('gives the same cuts for the same seed and others for another', () => {
    expect(appendCuts(10_000, 8, 'a')).toEqual(appendCuts(10_000, 8, 'a'));
    expect(appendCuts(10_000, 8, 'a')).not.toEqual(appendCuts(10_000, 8, 'b'));
  });

  it('puts one cut inside a multi-byte character when the file holds one', () => {
    // Arrange
    const bytes = Buffer.from('{"tenant":"contoso"}\n{"tenant":"Ωmega 🚀 Labs"}\n');

    // Act
    const cuts = appendCuts(bytes.length, 3, 'utf8', bytes);

    // Assert
    expect(cuts.some((cut) => ((bytes[cut] as number) & 0xc0) === 0x80)).toBe(true);
  });
});

describe('appendRanges', () => {
  it('covers the file in order, no range over the append limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 500, max: 30_000 }),
        (size, appends, max) => {
          const ranges = appendRanges(size, appendCuts(size, appends, 's'), max);
          let at = 0;
          for (const [start, end] of ranges) {
            expect(start).toBe(at);
            expect(end - start).toBeGreaterThan(0);
            expect(end - start).toBeLessThanOrEqual(max);
            at = end;
          }
          expect(at).toBe(size);
        },
      ),
    );
  });
});

describe('movePeriod', () => {
  const ref = (container: string, blobName: string) => {
    const parsed = parseSuccessorPath(container, blobName);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    return parsed.value;
  };

  it.each([
    [
      'insights-logs-apprequests',
      'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP/y=2024/m=03/d=05/h=13/m=00/PT1H.json',
      'resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/SHOP/y=2026/m=11/d=25/h=13/m=00/PT1H.json',
    ],
    [
      'am-apprequests',
      'WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/w/y=2024/m=03/d=05/h=13/m=10/PT05M_2.json',
      'WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/w/y=2026/m=11/d=25/h=13/m=45/PT05M_2.json',
    ],
  ])('moves %s folders to the period holding the date, keeping the resource and file', (container, blobName, moved) => {
    expect(movePeriod(ref(container, blobName), new Date('2026-11-25T13:47:12Z'))).toBe(moved);
  });
});
