import type { ExportSource } from '../status/exportActivity';

/**
 * Why an export goes quiet, most likely first, from each export's documented behaviour
 * (shared/notes/export-format.md §4, successor-formats.md §2): what an operator checks first.
 */
export function likelyCauses(source: ExportSource, type: string): string[] {
  switch (source) {
    case 'continuousExport':
      return [
        'the storage account key was regenerated, or the container renamed: open Continuous Export and save its destination again (data of the last few days then still arrives)',
        'Continuous Export was disabled or deleted, or the resource was migrated to workspace-based Application Insights, which needs it off: export with diagnostic settings instead',
        'a firewall or virtual network rule on the storage account: Continuous Export cannot write through one',
        `the app sent no ${type} telemetry`,
      ];
    case 'diagnosticSettings':
      return [
        'the diagnostic setting was removed, or now archives to another storage account',
        `the category ${type} was unchecked in the diagnostic setting`,
        `the app is idle: it sent no ${type} telemetry`,
      ];
    case 'dataExport':
      return [
        'the data export rule was deleted or disabled on the Log Analytics workspace',
        `the table ${type} was removed from the rule`,
        'the storage account refuses or throttles the export: data export retries for up to 12 hours',
      ];
  }
}

/** The function that reads a source, for the cause "this app stopped reading it". */
export function readerOf(source: ExportSource): string {
  return source === 'continuousExport'
    ? 'exportBlobReceived (or exportLogScan with EXPORT_TRIGGER_SOURCE=Scan)'
    : 'exportLogScan';
}
