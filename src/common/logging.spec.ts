import { redactQuery } from './logging';

describe('redactQuery', () => {
  it('hides values of credential-like query parameters and keeps the rest', () => {
    expect(redactQuery('/job?status=finished&api_key=s3cr3t&token=t&limit=5')).toBe('/job?status=finished&api_key=%5Bredacted%5D&token=%5Bredacted%5D&limit=5');
    expect(redactQuery('/job?queue=FifoQ')).toBe('/job?queue=FifoQ');
    expect(redactQuery('/health/live')).toBe('/health/live');
  });
});
