import { createServer, type Server } from 'node:net';

import { startAzurite } from '../../../local/azurite';
import { portIsFree, takenPortProblem } from '../../../local/developmentStorage';
import { processIsRunning } from '../../../local/hostLock';

// Issue 14 §7: a port held by another program is named, with what to do.
describe('Azurite’s ports', () => {
  it('tells which of Azurite’s ports another program holds, and how to find it', async () => {
    const problem = await takenPortProblem(async (port) => port !== 10002);
    expect(problem).toBe(
      "port 10002, where Azurite's table service listens for UseDevelopmentStorage=true, is taken by another program: " +
        "stop it (`lsof -i :10002` or `ss -ltnp 'sport = :10002'` names it) and run this again, or set " +
        'AzureWebJobsStorage, EXPORT_STORAGE and ALERT_RULES_STORAGE in local.settings.json to a storage account',
    );
  });

  it('has nothing to tell when all three are free', async () => {
    expect(await takenPortProblem(async () => true)).toBeUndefined();
  });

  it('sees a port another server listens on as taken, and free once it closes', async () => {
    // Arrange
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    // Act
    const whileListening = await portIsFree(port);
    await new Promise((resolve) => server.close(resolve));

    // Assert
    expect(whileListening).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });
});

describe('startAzurite', () => {
  it('stops Azurite when asked: resolves once it has exited and its ports are free', async () => {
    // Arrange
    const azurite = await startAzurite();
    const port = Number(new URL(azurite.blobEndpoint).port);

    // Act
    await azurite.stop();

    // Assert
    expect(processIsRunning(azurite.pid)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });
});
