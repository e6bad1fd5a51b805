import { describe } from 'vitest';
import { memoryConversations } from '../../src/store/memory.ts';
import { conversationContract } from './conversations.contract.ts';

describe('memoryConversations (the in-memory twin)', () => {
  conversationContract(memoryConversations);
});
