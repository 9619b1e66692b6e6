import { match } from 'ts-pattern';
import { EVENT_NAMES, type Channel, type DeskEvent, type ServiceDesk } from 'omotenashi';

const ICON: Record<Channel, string> = {
  phone: '☎',
  email: '✉',
  chat: '💬',
  sms: '✆',
  social: '@',
  in_person: '🏢',
  web_form: '🖉',
  postal: '📮',
};

/** Names for the ids in the story, so the timeline reads like one. */
export type Names = Map<string, string>;

/**
 * Print each desk event as one line of a timeline, at desk-local time (the zone is fixed, so the
 * output is the same on every machine).
 */
export function printTimeline(desk: ServiceDesk, names: Names, timeZone: string, out: (line: string) => void = console.log): () => void {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  let lastDay = '';
  const name = (id: string | undefined): string => (id === undefined ? 'nobody' : (names.get(id) ?? id));
  const who = (e: DeskEvent): string => {
    const a = e.payload.actor;
    if (a.name !== undefined) return a.name;
    return a.kind === 'system' ? 'the desk' : a.kind === 'bot' ? 'the bot' : name(a.id);
  };
  const whenFormat = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const when = (d: Date): string => whenFormat.format(d);
  const quote = (s: string | undefined): string => (s === undefined ? '' : `“${s.length > 90 ? `${s.slice(0, 87)}…` : s}”`);

  const describe = (e: DeskEvent): string | null =>
    match(e)
      .with({ name: 'ticket.opened' }, ({ payload: p }) =>
        p.followUpOf
          ? `${name(p.ticket.requesterId)}'s case continues as a follow-up ticket ${p.ticket.id} (linked to ${p.followUpOf})`
          : `${ICON[p.ticket.channel]} ${name(p.ticket.requesterId)} (${p.ticket.requesterKind}) opens ${/^[aeiou]/.test(p.ticket.type) ? 'an' : 'a'} ${p.ticket.type.replace('_', '/')}: ${quote(p.ticket.subject)} [${p.ticket.id}]`,
      )
      .with({ name: 'interaction.recorded' }, ({ payload: p }) => {
        const i = p.interaction;
        const speaker = i.author.kind === 'customer' ? name(p.ticket.requesterId) : (i.author.name ?? name(i.author.id));
        const step = i.complaintStep ? ` · step “${i.complaintStep.replace('_', ' ')}”` : '';
        const agreed = i.agreed.length > 0 ? `  (agreed: ${i.agreed.join('; ')})` : '';
        const verb = i.kind === 'note' ? 'notes' : i.direction === 'inbound' ? 'says' : 'replies';
        return `${ICON[i.channel]} ${speaker} ${verb}${step}: ${quote(i.body ?? i.summary)}${agreed}`;
      })
      .with({ name: 'ticket.assigned' }, ({ payload: p }) => `→ ${p.ticket.id} goes to ${name(p.to.agentId)}${p.to.teamId ? ` (${name(p.to.teamId)})` : ''}`)
      .with({ name: 'ticket.transferred' }, ({ payload: p }) => `⇄ ${who(e)} transfers ${p.ticket.id} to ${name(p.to.agentId ?? p.to.teamId)}, with the customer's consent: ${quote(p.consent.note)}`)
      .with({ name: 'ticket.transfer_declined' }, ({ payload: p }) => `✋ The customer declines a transfer (${quote(p.consent.note)}); ${who(e)} keeps the case`)
      .with({ name: 'ticket.held' }, ({ payload: p }) => `⏸ On hold with consent (${quote(p.consent.note)}): ${p.reason}`)
      .with({ name: 'ticket.hold_declined' }, ({ payload: p }) => `✋ The customer declines a hold (${quote(p.consent.note)}); nothing is put on hold`)
      .with({ name: 'ticket.resumed' }, ({ payload: p }) => `▶ Back from hold after ${Math.round(p.heldForMs / 60_000)} min`)
      .with({ name: 'ticket.priority_changed' }, ({ payload: p }) => `⚑ ${p.ticket.id} priority ${p.from} → ${p.to}${p.reason ? ` (${p.reason})` : ''}`)
      .with({ name: 'ticket.updated' }, ({ payload: p }) => `✎ ${p.ticket.id} ${p.changes.map((c) => `${c.field} ${JSON.stringify(c.from ?? null)} → ${JSON.stringify(c.to ?? null)}`).join(', ')}`)
      .with({ name: 'ticket.merged' }, ({ payload: p }) => `⇉ ${p.source.id} merged into ${p.ticket.id} (${p.interactions} interactions now read there)`)
      .with({ name: 'ticket.split' }, ({ payload: p }) => `⑂ ${p.ticket.id} split from ${p.from} (${p.interactions.length} interactions)`)
      .with({ name: 'ticket.linked' }, ({ payload: p }) => `⇄ ${p.ticket.id} ${p.type} ${p.to}`)
      .with({ name: 'ticket.unlinked' }, ({ payload: p }) => `⇸ ${p.ticket.id} no longer ${p.type} ${p.to}`)
      .with({ name: 'ticket.tagged' }, ({ payload: p }) => `# ${p.ticket.id} tagged ${p.tags.join(', ')}`)
      .with({ name: 'ticket.untagged' }, ({ payload: p }) => `# ${p.ticket.id} untagged ${p.tags.join(', ')}`)
      .with({ name: 'ticket.resolved' }, ({ payload: p }) => `✔ ${who(e)} resolves ${p.ticket.id}: ${quote(p.summary)}; waiting for ${name(p.ticket.requesterId)} to confirm`)
      .with({ name: 'ticket.closed' }, ({ payload: p }) =>
        match(p.reason)
          .with('confirmed_by_customer', () => `★ ${name(p.ticket.requesterId)} confirms, and ${p.ticket.id} is closed from the customer's side`)
          .with('auto_closed', () => `★ ${p.ticket.id} closes by itself after a quiet period with no word from the customer`)
          .otherwise((r) => `★ ${p.ticket.id} closed (${r})`),
      )
      .with({ name: 'ticket.reopened' }, ({ payload: p }) => `↺ ${p.ticket.id} reopens: ${p.reason} (reopens so far: ${p.ticket.counters.reopens})`)
      .with({ name: 'ticket.complaint_step_recorded' }, () => null)
      .with({ name: 'ticket.status_changed' }, () => null)
      .with({ name: 'ticket.escalated' }, ({ payload: p }) => {
        const why = p.because.matchedLeaves.map((l) => `${l.fact} ${l.op} ${JSON.stringify(l.value)}`).join(' and ');
        return `⬆ ${p.ticket.id} ${p.kind === 'hierarchical' ? 'escalated' : 'routed'} to ${name(p.to.agentId ?? p.to.teamId)}${p.to.teamId && p.to.agentId ? ` (${name(p.to.teamId)})` : ''} by rule “${p.ruleId}”, because ${why}`;
      })
      .with({ name: 'escalation.rule_fired' }, ({ payload: p }) => (p.skipped.length > 0 ? `  rule “${p.ruleId}” could not: ${p.skipped.map((x) => x.reason).join('; ')}` : null))
      .with({ name: 'escalation.notify' }, ({ payload: p }) => `✉ notify ${p.recipient.kind === 'agent' ? name(p.recipient.agentId) : name(p.recipient.customerId)} (“${p.template}”${p.urgent ? ', urgent' : ''})`)
      .with({ name: 'signal.detected' }, ({ payload: p }) => {
        const worth = p.signals.filter((x) => x.kind !== 'gratitude');
        return worth.length === 0 ? null : `⚑ signals in ${name(p.ticket.requesterId)}'s words: ${worth.map((x) => `${x.kind.replace('_', ' ')} “${x.text}”`).join(', ')}`;
      })
      .with({ name: 'ticket.routed' }, ({ payload: p }) => {
        const d = p.decision;
        if (d.outcome === 'queued') return `⌛ ${p.ticket.id} waits in the queue of ${name(d.teamId)}: ${d.candidates.length === 0 ? 'nobody is in the team yet' : d.candidates.slice(0, 3).map((c) => `${name(c.agentId)}: ${c.detail}`).join('; ')}`;
        return `⇢ routing gives ${p.ticket.id} to ${name(d.agentId)} (${d.strategy.replace('_', ' ')}; ${d.candidates.length} considered)`;
      })
      .with({ name: 'agent.status_changed' }, ({ payload: p }) => `● ${p.agent.name} is ${p.to}${p.requeued.length > 0 ? `; ${p.requeued.length} unstarted ticket(s) back to routing` : ''}`)
      .with({ name: 'signal.suspected' }, ({ payload: p }) => `? ${p.suspicion.kind.replace('_', ' ')} suspected in “${p.suspicion.text ?? ''}” (${p.suspicion.confidence ?? '?'}): waiting for an agent to confirm`)
      .with({ name: 'signal.confirmed' }, ({ payload: p }) => `✔ ${p.suspicion.kind.replace('_', ' ')} confirmed by ${p.actor.name ?? p.actor.id ?? p.actor.kind}`)
      .with({ name: 'signal.dismissed' }, ({ payload: p }) => `✘ ${p.suspicion.kind.replace('_', ' ')} dismissed by ${p.actor.name ?? p.actor.id ?? p.actor.kind}${p.suspicion.decision?.note ? `: ${p.suspicion.decision.note}` : ''}`)
      .with({ name: 'sla.applied' }, ({ payload: p }) => (p.slot === 'primary' && p.metric === 'first_response' ? `⏱ SLA “${p.policyId}” applies to ${p.ticket.id}` : null))
      .with({ name: 'sla.warning' }, ({ payload: p }) => `⚠ ${p.ticket.id} ${p.metric.replace('_', ' ')}: ${Math.round(p.thresholdMs / 60_000)} of ${Math.round(p.clock.targetMs / 60_000)} business minutes used`)
      .with({ name: 'sla.breached' }, ({ payload: p }) => `✖ ${p.ticket.id} ${p.metric.replace('_', ' ')} target missed (${Math.round(p.clock.targetMs / 60_000)} business minutes)`)
      .with({ name: 'sla.paused' }, ({ payload: p }) => (p.metric === 'resolution' ? `⏸ ${p.ticket.id} resolution clock paused (${p.ticket.status === 'on_hold' ? 'on hold' : 'waiting on the customer'})` : null))
      .with({ name: 'sla.resumed' }, ({ payload: p }) => (p.metric === 'resolution' ? `▶ ${p.ticket.id} resolution clock runs again` : null))
      .with({ name: 'sla.fulfilled' }, ({ payload: p }) => (p.late ? `✓ ${p.ticket.id} ${p.metric.replace('_', ' ')} met, late` : null))
      .with({ name: 'customer.flagged' }, ({ payload: p }) => `⚐ ${p.customer.displayName} flagged “${p.flag.kind}” by ${who(e)}: ${p.flag.reason}`)
      .with({ name: 'customer.flag_cleared' }, ({ payload: p }) => `⚐ flag “${p.flag.kind}” cleared for ${p.customer.displayName}`)
      .with({ name: 'order.placed' }, ({ payload: p }) => `🛒 ${p.customer.displayName} orders ${p.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ')} (${p.orderId})`)
      .with({ name: 'customer.event_reported' }, ({ payload: p }) => `• ${p.customer.displayName}: ${p.name}`)
      .with({ name: 'followup.scheduled' }, ({ payload: p }) => `📅 follow-up “${p.followUp.planId}” for ${name(p.followUp.customerId)} planned for ${when(p.followUp.dueAt)}`)
      .with({ name: 'followup.due' }, ({ payload: p }) => `⏰ follow-up “${p.followUp.planId}” for ${name(p.followUp.customerId)} goes out by ${p.channel}${p.followUp.deferrals > 0 ? ' (waited for the end of their quiet hours)' : ''}`)
      .with({ name: 'followup.sent' }, ({ payload: p }) => (p.followUp.taskTicketId !== undefined ? `☎ task ${p.followUp.taskTicketId} opened: call ${name(p.followUp.customerId)}` : null))
      .with({ name: 'followup.skipped' }, ({ payload: p }) => `⤼ follow-up “${p.followUp.planId}” skipped (${p.reason}): ${p.detail}`)
      .with({ name: 'followup.cancelled' }, ({ payload: p }) => `⤫ follow-up “${p.followUp.planId}” cancelled (${p.reason}): ${p.detail}`)
      .with({ name: 'survey.sent' }, () => null)
      .with({ name: 'survey.answered' }, ({ payload: p }) => {
        const a = p.survey.answer ?? {};
        const parts = [a.csat === undefined ? '' : `CSAT ${a.csat}/5`, a.nps === undefined ? '' : `NPS ${a.nps}`, a.solved === undefined ? '' : a.solved ? 'solved' : 'not solved'].filter(Boolean);
        return `☆ ${name(p.survey.customerId)} rates ${p.survey.ticketId}: ${parts.join(', ')}${a.reason ? ` ${quote(a.reason)}` : ''}${p.low ? ' (low)' : ''}; credited to ${name(p.survey.assigneeId)}`;
      })
      .with({ name: 'notification.failed' }, ({ payload: p }) => `✉ message to ${p.notification.to.name} (${p.notification.template}) could not be delivered: ${p.attempt.error ?? 'unknown error'}`)
      .with({ name: 'notification.bounced' }, ({ payload: p }) => `✉ message to ${p.recipient} bounced${p.status ? ` (${p.status})` : ''}${p.permanent ? '; the address is marked bouncing' : ''}`)
      .with({ name: 'notification.retry_scheduled' }, ({ payload: p }) => `✉ message to ${p.notification.to.name} (${p.notification.template}) failed, retrying at ${p.retryAt.toISOString()}`)
      .with({ name: 'notification.queued' }, { name: 'notification.sent' }, { name: 'notification.cancelled' }, () => null)
      .with({ name: 'job.failed' }, ({ payload: p }) => `⚙ job ${p.job.key} failed (attempt ${p.attempt}${p.givenUp ? ', given up' : ''}): ${p.error}`)
      .with({ name: 'suggestion.offered' }, { name: 'suggestion.answered' }, () => null)
      .with({ name: 'article.created' }, { name: 'article.updated' }, { name: 'article.published' }, { name: 'article.archived' }, { name: 'article.feedback_recorded' }, () => null)
      .with({ name: 'customer.registered' }, { name: 'customer.updated' }, { name: 'agent.registered' }, { name: 'agent.updated' }, { name: 'team.registered' }, { name: 'team.updated' }, { name: 'organization.updated' }, () => null)
      .with({ name: 'customer.erased' }, ({ payload: p }) => `⌫ ${p.report.customerId}'s personal data erased (${p.report.tickets} tickets, ${p.report.interactions} interactions): ${p.report.reason}`)
      .with({ name: 'organization.registered' }, ({ payload: p }) => `▣ ${p.organization.name} (${p.organization.kind === 'external' ? 'customer company' : 'our own unit'})${p.organization.domains.length > 0 ? `, people at ${p.organization.domains.map((d) => `@${d}`).join(', ')} join it` : ''}${p.organization.calendar === undefined ? '' : `; its SLA clocks count on “${p.organization.calendar}”`}`)
      .exhaustive();

  const offs = EVENT_NAMES.map((eventName) =>
    desk.on(eventName, (payload) => {
      const line = describe({ name: eventName, payload } as DeskEvent);
      if (line === null) return;
      const today = day.format(payload.at);
      if (today !== lastDay) {
        out(`\n── ${today} ${'─'.repeat(Math.max(0, 60 - today.length))}`);
        lastDay = today;
      }
      out(`${clock.format(payload.at)}  ${line}`);
    }),
  );
  return () => offs.forEach((off) => off());
}
