import { input } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputConfig } from '../../src/cli/ask.js';
import { QUESTIONS } from '../../src/site/questions.js';

const question = (flag: string) => QUESTIONS.find((q) => q.flag === flag)!;
/** Validation runs asynchronously: let it finish before reading the screen. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('a wrong address is refused with the validator message, then a good one is accepted', async () => {
  const { answer, events, getScreen } = await render(input, inputConfig(question('local'), 'replicant'));
  events.type('10.0.0.2');
  events.keypress('enter');
  await settle();
  assert.match(getScreen(), /"10\.0\.0\.2" is not HOST:PORT/);
  events.type(':5010');
  events.keypress('enter');
  assert.is(await answer, '10.0.0.2:5010');
});

test('defaults come from the role: a replicant has priority 0, a master 1', async () => {
  for (const [role, expected] of [['replicant', '0'], ['master', '1']] as const) {
    const { answer, events } = await render(input, inputConfig(question('priority'), role));
    events.keypress('enter');
    assert.is(await answer, expected);
  }
});

test('a list is checked item by item', async () => {
  const { answer, events, getScreen } = await render(input, inputConfig(question('replicant'), 'master'));
  events.type('10.0.0.2:5010, 10.0.0.3');
  events.keypress('enter');
  await settle();
  assert.match(getScreen(), /"10\.0\.0\.3" is not HOST:PORT/);
  events.type(':5010');
  events.keypress('enter');
  assert.is(await answer, '10.0.0.2:5010, 10.0.0.3:5010');
});

test('an injection attempt is refused at the prompt', async () => {
  const { answer, events, getScreen } = await render(input, inputConfig(question('local'), 'master'));
  events.type('10.0.0.1#x:5010');
  events.keypress('enter');
  await settle();
  assert.match(getScreen(), /contains "#"/);
  for (let i = 0; i < '#x:5010'.length; i++) events.keypress('backspace');
  events.type(':5010');
  events.keypress('enter');
  assert.is(await answer, '10.0.0.1:5010');
});

test.run();
