// The Mattermost-compatible fake the tests drive lives with the local development sink that
// `npm start` runs (dev/mattermost/), so product code never imports the test tree.
export * from '../../dev/mattermost/mattermost-server';
