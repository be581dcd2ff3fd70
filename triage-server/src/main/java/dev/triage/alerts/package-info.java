/** Budget alerts delivered to a webhook ({@code alerts.webhook_url}). */
package dev.triage.alerts;
