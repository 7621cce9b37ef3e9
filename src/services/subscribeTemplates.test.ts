import { parseTemplateIds, resultsByKey, templateIdList } from './subscribeTemplates';

describe('subscribe templates', () => {
  it('reads the three ids from the JSON setting and ignores anything else', () => {
    expect(parseTemplateIds('{"accepted":"T1","result":"T2","paid":"T3","other":"T4"}')).toEqual({
      accepted: 'T1',
      result: 'T2',
      paid: 'T3',
    });
    expect(parseTemplateIds('{"accepted":"","result":12}')).toEqual({});
    expect(parseTemplateIds('not json')).toEqual({});
    expect(parseTemplateIds(undefined)).toEqual({});
    expect(parseTemplateIds('["T1"]')).toEqual({});
  });

  it('asks for at most three ids, in order', () => {
    expect(templateIdList({ paid: 'P', accepted: 'A' })).toEqual(['A', 'P']);
    expect(templateIdList({ accepted: 'A', result: 'R', paid: 'P' })).toHaveLength(3);
  });

  it('maps WeChat answers back to our keys, dropping errMsg and unknown values', () => {
    expect(
      resultsByKey(
        { accepted: 'A', result: 'R', paid: 'P' },
        { A: 'accept', R: 'reject', P: 'weird', errMsg: 'requestSubscribeMessage:ok' },
      ),
    ).toEqual({ accepted: 'accept', result: 'reject' });
  });
});
