"""The task's steps as the pages and the API take them: the table of who may take each step and from which
states is ``access.TASK_STEPS`` (the action's guard reads it too); here each step is bound to the action it
runs. Pages bind a form to a step, the API a serializer; both end in the same action.
"""

from dataclasses import replace

from huicai.casework import access, actions

RUNS = {
    "request-materials": lambda task, d, **kw: actions.request_materials(
        task, items=d["items"], note=d.get("note", ""), **kw
    ),
    "accept": lambda task, d, **kw: actions.accept_task(task, note=d.get("note", ""), **kw),
    "return": lambda task, d, **kw: actions.return_task(task, reason=d["reason"], **kw),
    "resubmit": lambda task, d, **kw: actions.resubmit_task(
        task, note=d.get("note", ""), handovers=d.get("handovers") or {}, **kw
    ),
    "reroute": lambda task, d, **kw: actions.reroute_task(
        task, department=d["department"], note=d.get("note", ""), **kw
    ),
    "delegate": lambda task, d, **kw: actions.delegate_task(
        task, undertaking_org=d["undertaking_org"], note=d.get("note", ""), **kw
    ),
    "report-back": lambda task, d, **kw: actions.report_back(task, note=d["note"], **kw),
    "suspend": lambda task, d, **kw: actions.suspend_task(
        task, reason=d["reason"], legal_basis=d["legal_basis"], **kw
    ),
    "resume": lambda task, d, **kw: actions.resume_task(task, note=d.get("note", ""), **kw),
    "extend": lambda task, d, **kw: actions.extend_task(
        task,
        new_due_date=d["new_due_date"],
        reason=d["reason"],
        explanation=d["explanation"],
        explained_via=d["explained_via"],
        **kw,
    ),
    "complete": lambda task, d, **kw: actions.complete_task(
        task, result=d["result"], note=d.get("note", ""), document=d.get("document"), **kw
    ),
    "acknowledge-extension": lambda task, d, *, by, at, **kw: actions.acknowledge_extension(
        d["extension"], by=by, at=at
    ),
    "approve-extension": lambda task, d, *, by, at, **kw: actions.approve_extension(
        d["extension"], note=d.get("reason", ""), by=by, at=at
    ),
    "refuse-extension": lambda task, d, *, by, at, **kw: actions.refuse_extension(
        d["extension"], reason=d["reason"], by=by, at=at
    ),
    "inform": lambda task, d, **kw: actions.inform_talent(task, via=d["via"], note=d.get("note", ""), **kw),
    "withdraw": lambda task, d, **kw: actions.withdraw_task(task, reason=d["reason"], **kw),
}

STEPS = [replace(step, run=RUNS[step.name]) for step in access.TASK_STEPS]
STEPS_BY_NAME = {step.name: step for step in STEPS}


def available_steps(user, task):
    return [step for step in STEPS if step.available(user, task)]
