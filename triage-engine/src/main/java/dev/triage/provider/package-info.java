/**
 * The provider abstraction: one small interface ({@link dev.triage.provider.Provider}), one error
 * model ({@link dev.triage.provider.ErrorKind}), and an adapter package per wire protocol, each with a
 * self-describing {@link dev.triage.provider.ProviderFactory} found through
 * {@link dev.triage.provider.ProviderFactories}.
 */
package dev.triage.provider;
