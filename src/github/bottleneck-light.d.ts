// bottleneck/light.js is the build plugin-throttling uses: the same API as the package's main entry, without Redis.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
