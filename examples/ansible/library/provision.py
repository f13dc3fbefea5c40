#!/usr/bin/python
# -*- coding: utf-8 -*-
"""Run one provision command on the managed host and report it to Ansible."""

DOCUMENTATION = r'''
module: provision
short_description: Run provision layout, master, replicant or check on a replication site
description:
  - Runs the provision command line with C(--json) and reports what it says.
  - For C(layout), C(master) and C(replicant), C(changed) is the command's own C(changed) field,
    so a second run with the same inventory reports nothing changed. In check mode the command
    runs with C(--dry-run) and writes nothing. With C(--diff), each DB_CONFIG and manifest change
    is shown as the unified diff provision computed, and each folder to create as one line.
  - For C(check) nothing is ever changed; it fails when a check is CRITICAL (exit 1), except in
    check mode, where the site may not exist yet and the result is a warning.
options:
  command:
    description: The provision command, as a string or a list (default C(provision) on PATH).
    type: raw
    default: provision
  argv:
    description: The subcommand and its arguments, e.g. C([layout, --preset, generic, --root, /srv/app]).
    type: list
    elements: str
    required: true
'''

import json
import shlex

from ansible.module_utils.basic import AnsibleModule

WRITERS = ('layout', 'master', 'replicant')


def diff_of(report):
    """Ansible diffs for the plan's changes: provision's unified diffs, and a line per folder to create."""
    diffs = []
    for change in report.get('changes', []):
        if change.get('unchanged'):
            continue
        if change.get('kind') == 'mkdir':
            diffs.append({'prepared': 'create directory %s\n' % change.get('path')})
        elif change.get('kind') == 'write':
            diffs.append({'prepared': change.get('diff', '')})
    return diffs


def main():
    module = AnsibleModule(
        argument_spec=dict(command=dict(type='raw', default='provision'), argv=dict(type='list', elements='str', required=True)),
        supports_check_mode=True,
    )
    command = module.params['command']
    base = shlex.split(command) if isinstance(command, str) else [str(c) for c in command]
    argv = list(module.params['argv'])
    if not argv:
        module.fail_json(msg='argv is empty: name a provision subcommand')
    sub = argv[0]
    args = base + argv + ['--json']
    if sub in WRITERS:
        args.append('--yes')
        if module.check_mode:
            args.append('--dry-run')
    elif sub != 'check':
        module.fail_json(msg='provision %s is not one this module runs (layout, master, replicant, check)' % sub)

    rc, out, err = module.run_command(args)
    # NOTE: not "rc": Ansible fails any result whose rc is not 0, and a check in check mode may exit 1 without failing.
    result = dict(cmd=args, exit_code=rc, stderr=err, changed=False)
    try:
        report = json.loads(out) if out.strip() else None
    except ValueError:
        report = None
    if report is None:
        module.fail_json(msg='provision %s printed no JSON (exit %d): %s' % (sub, rc, err.strip() or out.strip()), stdout=out, **result)
    result['provision'] = report

    if sub == 'check':
        if rc == 1 and module.check_mode:
            module.warn('provision check: %s (check mode: the site is not written yet)' % report.get('status'))
        elif rc != 0:
            failed = [r for s in report.get('sites', []) for r in s.get('results', []) if r.get('status') == 'CRITICAL']
            module.fail_json(msg='provision check: ' + '; '.join('%s: %s' % (r.get('id'), r.get('message')) for r in failed), **result)
        for s in report.get('sites', []):
            for r in s.get('results', []):
                if r.get('status') == 'WARNING':
                    module.warn('provision check %s: %s' % (r.get('id'), r.get('message')))
        module.exit_json(**result)

    if rc != 0:
        module.fail_json(msg='provision %s failed (exit %d): %s' % (sub, rc, err.strip()), **result)
    result['changed'] = bool(report.get('changed'))
    if module._diff and result['changed']:
        result['diff'] = diff_of(report)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
