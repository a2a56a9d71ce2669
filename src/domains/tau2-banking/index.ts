/**
 * τ²-bench's banking_knowledge world: a transactional database shared by the agent's
 * `KnowledgeTools` (14 listed tools, 44 discoverable ones the knowledge base reveals) and the
 * user's `KnowledgeUserTools` (6 listed, 4 discoverable), with the retrieval variant deciding
 * the agent's prompt and its search tools (knowledge.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePy } from '../../py/parse.ts';
import { isDict, type PyDict } from '../../py/value.ts';
import { Tau2Db, Tau2DbTemplate } from '../../sandbox/tau2/db.ts';
import { Tau2Environment } from '../../sandbox/tau2/environment.ts';
import { tau2Tool, type OpenAiToolSchema, type Tau2Tool } from '../../sandbox/tau2/tool.ts';
import type { EnvironmentOptions, Tau2World } from '../../sandbox/tau2/world.ts';
import { arg } from '../../sandbox/tau2/py.ts';
import { BANKING_DB } from './db.ts';
import * as bank from './discoverable/bank-accounts.ts';
import * as cc from './discoverable/credit-cards.ts';
import * as debit from './discoverable/debit-cards.ts';
import * as disputes from './discoverable/disputes.ts';
import { Bm25Index, bankingPolicy, formatResults, grepDocuments, loadDocuments, RETRIEVAL_VARIANTS, type RetrievalVariant } from './knowledge.ts';
import { AGENT_CLASS, USER_CLASS, type BankingCtx } from './toolkit.ts';
import * as base from './tools/base.ts';
import { agentDiscoverableCalls } from './tools/discoverable-calls.ts';
import * as user from './user-tools/base.ts';
import { fstr } from './py.ts';

/** Every agent discoverable tool, in τ²'s declaration order. */
export const AGENT_DISCOVERABLE: readonly Tau2Tool<BankingCtx>[] = [
  disputes.exampleAgentTool,
  disputes.updateTransactionRewards,
  disputes.initialTransfer0218,
  disputes.initialTransfer1822,
  disputes.emergencyTransfer1114,
  disputes.fileCreditCardDispute,
  disputes.fileDebitCardDispute,
  disputes.setRecurringBlock,
  disputes.getDebitDisputeStatus,
  disputes.getAtmDepositImages,
  cc.orderReplacementCreditCard,
  cc.getUserDisputeHistory,
  cc.getPendingReplacementOrders,
  cc.logCreditCardClosureReason,
  cc.getClosureReasonHistory,
  cc.applyStatementCredit,
  cc.applyCreditCardAccountFlag,
  cc.closeCreditCardAccount,
  cc.payCreditCardFromChecking,
  cc.submitCreditLimitIncreaseRequest,
  cc.getCreditLimitIncreaseHistory,
  cc.getPaymentHistory,
  bank.approveCreditLimitIncrease,
  bank.denyCreditLimitIncrease,
  bank.openBankAccount,
  bank.closeBankAccount,
  bank.getAllUserAccounts,
  bank.transferFunds,
  bank.applyCheckingAccountCredit,
  bank.applySavingsAccountCredit,
  bank.submitInterestDiscrepancyReport,
  bank.getBankAccountTransactions,
  debit.orderDebitCard,
  debit.activateNew,
  debit.activateReplacement,
  debit.activateReissued,
  debit.closeDebitCard,
  debit.freezeDebitCard,
  debit.unfreezeDebitCard,
  debit.clearFraudAlert,
  debit.resetPin,
  debit.changePin,
  debit.getDebitCardsByAccount,
  debit.temporaryLimitIncrease,
];

const [callAgentTool, listAgentTools] = agentDiscoverableCalls(AGENT_DISCOVERABLE);

export const BANKING_TOOLS: readonly Tau2Tool<BankingCtx>[] = [
  base.transferToHumanAgents,
  base.getCurrentTime,
  base.getUserInformationById,
  base.getUserInformationByName,
  base.getUserInformationByEmail,
  base.changeUserEmail,
  base.getReferralsByUser,
  base.getCreditCardTransactionsByUser,
  base.getCreditCardAccountsByUser,
  base.logVerification,
  base.giveDiscoverableUserTool,
  base.unlockDiscoverableAgentTool,
  callAgentTool!,
  listAgentTools!,
];

export const BANKING_USER_TOOLS: readonly Tau2Tool<BankingCtx>[] = [
  user.applyForCreditCard,
  user.submitReferral,
  user.callDiscoverableUserTool,
  user.listDiscoverableUserTools,
  user.requestHumanAgentTransfer,
  user.submitTransaction,
];

function searchTool(name: 'KB_search' | 'grep', run: (q: string) => string): Tau2Tool<BankingCtx> {
  const param = name === 'grep' ? 'pattern' : 'query';
  const schema: OpenAiToolSchema = {
    type: 'function',
    function: {
      name,
      description: name === 'grep' ? 'Search for a regex pattern in all knowledge base documents.' : 'Search the knowledge base for relevant documents.',
      parameters: {
        properties: {
          [param]: {
            description: name === 'grep' ? "The regex pattern to search for (e.g., 'credit.*card', 'fee|charge')" : 'The search query to find relevant documents',
            title: name === 'grep' ? 'Pattern' : 'Query',
            type: 'string',
          },
        },
        required: [param],
        title: 'parameters',
        type: 'object',
      },
    },
  };
  return tau2Tool<BankingCtx>({ name, type: 'read', schema, owner: name === 'grep' ? 'GrepMixin' : 'KBSearchMixin', run: (_ctx, a) => run(fstr(arg(a, param))) });
}

/** A synchronous embedding search, for variants whose `KB_search` needs an embeddings endpoint. */
export type EmbeddingSearch = (query: string, k: number) => [string, number][];

export interface BankingOptions {
  variant?: RetrievalVariant;
  /** Required by the `openai_embeddings*` variants (see src/sandbox/tau2/embeddings.ts). */
  embeddings?: EmbeddingSearch;
  topK?: number;
}

export function loadBanking(dir: string, opts: BankingOptions = {}): Tau2World {
  const variant = opts.variant ?? 'no_knowledge';
  if (!(RETRIEVAL_VARIANTS as readonly string[]).includes(variant)) throw new Error(`unknown banking retrieval variant '${variant}' (${RETRIEVAL_VARIANTS.join(', ')})`);
  const data = parsePy(readFileSync(join(dir, 'db.json'), 'utf8'));
  if (!isDict(data)) throw new Error(`${join(dir, 'db.json')}: expected a JSON object`);
  const template = Tau2DbTemplate.fromData(BANKING_DB, data);
  const docs = loadDocuments(dir);
  const topK = opts.topK ?? 10;
  const retrieval: Tau2Tool<BankingCtx>[] = [];
  if (variant === 'bm25' || variant === 'bm25_grep') {
    const index = new Bm25Index(docs);
    retrieval.push(searchTool('KB_search', (q) => {
      const r = index.search(q, topK);
      return r.length > 0 ? formatResults(r) : 'No relevant documents found.';
    }));
  }
  if (variant === 'openai_embeddings' || variant === 'openai_embeddings_grep') {
    const search = opts.embeddings;
    if (!search) throw new Error(`banking variant '${variant}' needs an embeddings endpoint (--embeddings-base-url)`);
    const byId = new Map(docs.map((d) => [d.id, d]));
    retrieval.push(searchTool('KB_search', (q) => {
      const r = search(q, topK).flatMap(([id, s]) => (byId.has(id) ? [[byId.get(id)!, s] as [typeof docs[number], number]] : []));
      return r.length > 0 ? formatResults(r) : 'No relevant documents found.';
    }));
  }
  if (variant === 'grep_only' || variant === 'bm25_grep' || variant === 'openai_embeddings_grep') {
    retrieval.push(searchTool('grep', (p) => {
      const r = grepDocuments(docs, p);
      if (typeof r === 'string') return r;
      return r.length > 0 ? formatResults(r) : `No matches found for pattern: ${p}`;
    }));
  }
  const agentTools = [...BANKING_TOOLS, ...retrieval, ...AGENT_DISCOVERABLE];
  const userTools = [...BANKING_USER_TOOLS, ...user.USER_DISCOVERABLE];
  const environment = (o: EnvironmentOptions = {}): Tau2Environment => {
    if (o.soloMode) throw new Error('banking_knowledge domain does not support solo mode');
    const db = new Tau2Db(template);
    const ctx: BankingCtx = { db, unlocked: new Map(), given: new Map(), readLogAllowlist: o.readLogAllowlist ?? new Set() };
    const updateDb = (update: PyDict): void => db.update(update);
    return new Tau2Environment({
      domain: 'banking_knowledge',
      agent: { className: AGENT_CLASS, context: ctx, tools: agentTools, dbHash: () => db.hash(), updateDb },
      user: { className: USER_CLASS, context: ctx, tools: userTools, dbHash: () => db.hash(), updateDb },
    });
  };
  return {
    domain: 'banking_knowledge',
    policy: (o) => bankingPolicy(dir, variant, docs, o?.task),
    agentTools: () => [...BANKING_TOOLS, ...retrieval].map((t) => t.schema!),
    userTools: () => BANKING_USER_TOOLS.map((t) => t.schema!),
    environment,
    pristine: () => ({ dbHash: template.hash, userDbHash: template.hash }),
  };
}
