export interface HeaderProps {
  title: string;
  onClose: () => void;
  subtitle?: string;
}

export function Header(props: HeaderProps) {
  return <h1>{props.title}</h1>;
}
