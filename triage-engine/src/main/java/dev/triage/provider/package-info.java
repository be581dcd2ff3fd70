/**
 * The provider abstraction: one small interface ({@link dev.triage.provider.Provider}), one error
 * model ({@link dev.triage.provider.ErrorKind}), and an adapter package per wire protocol.
 */
package dev.triage.provider;
