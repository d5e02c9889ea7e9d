/** Schemas of the dashboard session (`/api/session`): sign in, who am I, sign out. */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common.js';

export const SignInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320, description: 'The account e-mail address' }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: StringEnum(['admin', 'member'] as const),
  plan: Type.String(),
});

export const SessionResponse = Type.Object({
  data: Type.Object({
    user: SessionUserSchema,
    csrf_token: Type.String({ description: 'Send it as X-CSRF-Token on every POST, PATCH and DELETE' }),
  }),
});
export type SessionBody = Static<typeof SessionResponse>;
