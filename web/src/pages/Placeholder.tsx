import { Empty, Page } from '../ui';

/** A page whose content is still to come. */
export function Placeholder({ title }: { title: string }) {
  return (
    <Page title={title}>
      <Empty>This page is being built.</Empty>
    </Page>
  );
}
