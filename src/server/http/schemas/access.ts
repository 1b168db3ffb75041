import { z } from '@hono/zod-openapi';
import { Time } from './common.js';
import { MACHINE_KINDS, PRINCIPAL_KINDS, SCOPES, USER_ROLES } from '../../../records/scopes.js';

const Principal = z.object({ id: z.string(), kind: z.enum(PRINCIPAL_KINDS), name: z.string(), role: z.enum(USER_ROLES).nullable() });

/** A token of the business, never its secret. */
export const TokenInfoSchema = z.object({
  id: z.string(), name: z.string(), principal: Principal, scopes: z.array(z.enum(SCOPES)),
  created_at: Time, last_used_at: Time.nullable(), expires_at: Time.nullable(), revoked_at: Time.nullable(), status: z.enum(['active', 'expired', 'revoked']),
}).openapi('TokenInfo');

/** `POST /tokens` body. */
export const TokenBodySchema = z.object({
  name: z.string().trim().min(1).max(80),
  principal: z.string().min(1).max(100).optional().openapi({ description: 'an existing principal of this business' }),
  kind: z.enum(MACHINE_KINDS).optional().openapi({ description: 'a new machine principal of this kind' }),
  scopes: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: 'read, propose, decide, admin (comma-separated or a list)' }),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
}).strict();

/** `POST /tokens` answer: the secret, shown once. */
export const TokenCreatedSchema = z.object({
  id: z.string(), token: z.string(), name: z.string(), principal: Principal, scopes: z.array(z.enum(SCOPES)), expiresAt: Time.nullable(), note: z.string(),
}).openapi('TokenCreated');

/** `DELETE /tokens/{id}` answer. */
export const TokenRevokedSchema = z.object({ token: TokenInfoSchema, alreadyRevoked: z.boolean() }).openapi('TokenRevoked');

/** A person or machine of the business. */
export const MemberSchema = z.object({
  id: z.string(), kind: z.enum(PRINCIPAL_KINDS), name: z.string(), email: z.string().nullable(), role: z.enum(USER_ROLES).nullable(), created_at: Time,
}).openapi('Member');

/** `POST /users` body. */
export const UserBodySchema = z.object({ name: z.string().trim().min(1).max(120), email: z.string().trim().min(3).max(254), role: z.enum(USER_ROLES) }).strict();
/** `PUT /users/{id}/password` body. */
export const PasswordBodySchema = z.object({ password: z.string().max(1024).openapi({ description: 'at least 10 characters' }) }).strict();
