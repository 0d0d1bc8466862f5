/** OpenCC's character tables, one `source target…` entry per `|` (opencc-js ships them without types). */
declare module 'opencc-js/dict/*' {
  const dict: string;
  export default dict;
}
