export interface HeaderProps {
  title: string;
  onClose: () => void;
}

export function Header(props: HeaderProps) {
  return <h1>{props.title}</h1>;
}
