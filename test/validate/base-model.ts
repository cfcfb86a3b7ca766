/** A complete, valid native model for the authoring tests; the tests count on its line numbers. */
export const BASE = `formatVersion: 1
agent:
  id: payments-agent
  name: Payments Agent
aivss:
  factors:
    autonomy: 0.8
    planning: 0.7
    self-modification: 0.2
    tool-use: 0.9
    memory: 0.6
    context: 0.5
    identity: 0.3
    multi-agent: 0.4
    non-determinism: 0.6
    opacity: 0.5
  cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
  threatMultiplier: poc
  mitigationFactor: partial
layers:
  L1:
    status: mapped
    summary: Payee names reach the prompt.
    threats:
      - id: PAY-1
        title: Prompt injection through payee names
        severity: high
        likelihood: medium
        status: open
        tags: [T6, ASI01]
        mitigations:
          - title: Strip instructions from payee names
            status: in-progress
  L2: { status: mapped }
  L3: { status: mapped }
  L4: { status: uncertain }
  L5: { status: mapped }
  L6: { status: mapped }
  L7: { status: not-applicable }
`;
