export function Avatar({ url, name, size = 32 }: { url: string | null; name: string; size?: number }) {
  if (url === null) {
    return (
      <span
        className="avatar avatar-empty"
        style={{ width: size, height: size, fontSize: size / 2.4 }}
        aria-hidden="true"
      >
        {name.slice(0, 1).toUpperCase()}
      </span>
    );
  }
  return <img className="avatar" src={url} alt="" width={size} height={size} referrerPolicy="no-referrer" />;
}
