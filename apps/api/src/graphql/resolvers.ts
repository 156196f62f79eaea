import { mergeResolvers } from './merge-resolvers.js';
import { authResolvers } from '../auth/auth.resolvers.js';
import { usersResolvers } from '../users/users.resolvers.js';
import { projectsResolvers } from '../projects/projects.resolvers.js';
import { assignmentResolvers } from '../assignment/assignment.resolvers.js';
import { labelsResolvers } from '../labels/labels.resolvers.js';
import { slicesResolvers } from '../slices/slices.resolvers.js';
import { adjudicationResolvers } from '../adjudication/adjudication.resolvers.js';
import { agreementResolvers } from '../agreement/agreement.resolvers.js';
import { ingestResolvers } from '../ingest/ingest.resolvers.js';
import { dicomwebResolvers } from '../dicomweb/dicomweb.resolvers.js';
import { modelVersionsResolvers } from '../model-versions/model-versions.resolvers.js';
import { evaluationResolvers } from '../evaluation/evaluation.resolvers.js';
import { readerQcResolvers } from '../reader-qc/reader-qc.resolvers.js';

/**
 * The schema's resolvers: each feature resolves its own operations and types (authorisation,
 * validation, then its service or queries); this file only wires them together.
 */
export const resolvers = mergeResolvers(
  authResolvers,
  usersResolvers,
  projectsResolvers,
  assignmentResolvers,
  labelsResolvers,
  slicesResolvers,
  adjudicationResolvers,
  agreementResolvers,
  ingestResolvers,
  dicomwebResolvers,
  modelVersionsResolvers,
  evaluationResolvers,
  readerQcResolvers,
);
