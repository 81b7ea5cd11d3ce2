export interface HeaderProps {
  title: string;
  onClose: () => void;
  subtitle?: string;
  icon?: React.ReactNode;
}

export function Header(props: HeaderProps) {
  return <h1>{props.title}</h1>;
}
