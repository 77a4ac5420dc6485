import {
  describeStorageConnection,
  firstStorageConnection,
  readStorageConnection,
} from '../../../shared/adapters/storage/storageConnection';

describe('readStorageConnection', () => {
  it('prefers a connection string', () => {
    expect(
      readStorageConnection(
        { EXPORT_STORAGE: 'UseDevelopmentStorage=true', EXPORT_STORAGE__accountName: 'x' },
        'EXPORT_STORAGE',
      ),
    ).toBe('UseDevelopmentStorage=true');
  });

  it('builds both service URIs from an account name, like Functions identity-based connections', () => {
    expect(
      readStorageConnection(
        { EXPORT_STORAGE__accountName: 'shopexport', EXPORT_STORAGE__clientId: 'c1' },
        'EXPORT_STORAGE',
      ),
    ).toEqual({
      kind: 'identity',
      setting: 'EXPORT_STORAGE',
      blobServiceUri: 'https://shopexport.blob.core.windows.net',
      tableServiceUri: 'https://shopexport.table.core.windows.net',
      clientId: 'c1',
    });
  });

  it('takes explicit service URIs and the managed identity credential', () => {
    expect(
      readStorageConnection(
        {
          AzureWebJobsStorage__blobServiceUri: 'https://a.blob.example',
          AzureWebJobsStorage__tableServiceUri: 'https://a.table.example',
          AzureWebJobsStorage__credential: 'managedidentity',
        },
        'AzureWebJobsStorage',
      ),
    ).toMatchObject({
      blobServiceUri: 'https://a.blob.example',
      tableServiceUri: 'https://a.table.example',
      credential: 'managedidentity',
    });
  });

  it('is undefined when neither form is set, blank values included', () => {
    expect(readStorageConnection({ EXPORT_STORAGE: '  ' }, 'EXPORT_STORAGE')).toBeUndefined();
  });

  it('falls back through the settings in order', () => {
    expect(
      firstStorageConnection({ AzureWebJobsStorage__accountName: 'host' }, 'EXPORT_STORAGE', 'AzureWebJobsStorage'),
    ).toMatchObject({
      setting: 'AzureWebJobsStorage',
    });
  });

  it('describes a connection without its key', () => {
    expect(describeStorageConnection('DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=c2VjcmV0')).toBe(
      'account shop (connection string)',
    );
  });
});
