import { Global, Module } from '@nestjs/common';
import { CredentialStore } from './credential-store';

/** CREDENTIALS_FILE's named sets, for the API (names checked) and the worker node (sets read at each run). */
@Global()
@Module({ providers: [CredentialStore], exports: [CredentialStore] })
export class CredentialsModule {}
