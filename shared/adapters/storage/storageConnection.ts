/**
 * How the app reaches a storage account, read the way Functions bindings read a `connection`
 * setting: `NAME` holds a connection string, or `NAME__accountName` / `NAME__blobServiceUri` /
 * `NAME__tableServiceUri` name the account for an identity-based connection (managed identity in
 * Azure, your developer login locally), with optional `NAME__clientId` for a user-assigned identity.
 */
export type StorageConnection = string | IdentityConnection;

export interface IdentityConnection {
  readonly kind: 'identity';
  /** The setting it came from, for messages. */
  readonly setting: string;
  readonly blobServiceUri: string;
  readonly tableServiceUri: string;
  readonly clientId?: string;
  /** `managedidentity` restricts the credential to the managed identity, as the Functions host does. */
  readonly credential?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The connection a setting names, or undefined when neither form is set. */
export function readStorageConnection(env: Env, name: string): StorageConnection | undefined {
  const get = (key: string) => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const connectionString = get(name);
  if (connectionString !== undefined) return connectionString;
  const account = get(`${name}__accountName`);
  const blobServiceUri =
    get(`${name}__blobServiceUri`) ??
    get(`${name}__serviceUri`) ??
    (account && `https://${account}.blob.core.windows.net`);
  const tableServiceUri = get(`${name}__tableServiceUri`) ?? (account && `https://${account}.table.core.windows.net`);
  if (blobServiceUri === undefined && tableServiceUri === undefined) return undefined;
  const clientId = get(`${name}__clientId`);
  const credential = get(`${name}__credential`);
  return {
    kind: 'identity',
    setting: name,
    // A blob-only (or table-only) setting fails clearly when the other service is used: the URI names the setting.
    blobServiceUri: blobServiceUri ?? `missing:${name}__blobServiceUri`,
    tableServiceUri: tableServiceUri ?? `missing:${name}__tableServiceUri`,
    ...(clientId === undefined ? {} : { clientId }),
    ...(credential === undefined ? {} : { credential }),
  };
}

/** The first of the settings that is set: `EXPORT_STORAGE`, else `AzureWebJobsStorage`, and so on. */
export function firstStorageConnection(env: Env, ...names: string[]): StorageConnection | undefined {
  for (const name of names) {
    const found = readStorageConnection(env, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Names a connection in messages without echoing a key. */
export function describeStorageConnection(connection: StorageConnection): string {
  if (typeof connection !== 'string') return `identity (${connection.setting}: ${connection.blobServiceUri})`;
  if (/UseDevelopmentStorage=true/i.test(connection)) return 'the local Azurite (UseDevelopmentStorage=true)';
  const account = /AccountName=([^;]+)/i.exec(connection)?.[1];
  return account ? `account ${account} (connection string)` : 'a connection string';
}
