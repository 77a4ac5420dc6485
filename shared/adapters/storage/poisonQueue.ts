import type { QueueServiceClient } from '@azure/storage-queue';

import { POISON_QUEUE, type PoisonQueuePeek } from '../../core/status/poisonMessages';
import { isNotFound } from './storageFailure';

/** NOTE: the Queue service returns at most 32 messages to one peek, and a peek cannot page past them. */
export const MAX_PEEK = 32;

/**
 * Peeks the host's poison queue without taking anything: a peek neither hides a message nor counts as
 * a dequeue, so whoever handles poison messages is not disturbed. `missing` when no blob was ever
 * poisoned in the account (the host creates the queue with the first message).
 */
export async function peekPoisonQueue(service: QueueServiceClient): Promise<PoisonQueuePeek | 'missing'> {
  const queue = service.getQueueClient(POISON_QUEUE);
  try {
    const properties = await queue.getProperties();
    const peeked = await queue.peekMessages({ numberOfMessages: MAX_PEEK });
    return {
      approximateCount: properties.approximateMessagesCount ?? peeked.peekedMessageItems.length,
      messages: peeked.peekedMessageItems.map((m) => ({ insertedOn: m.insertedOn.getTime(), text: m.messageText })),
    };
  } catch (error) {
    if (isNotFound(error)) return 'missing';
    throw error;
  }
}
