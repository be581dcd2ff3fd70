/** Daily budgets: reserve the worst case before a call, settle to the real cost after, atomically. */
package dev.triage.budget;
